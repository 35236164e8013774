import { describe, expect, it } from 'vitest';
import { cameraStep } from './videoSteps.ts';

describe('cameraStep', () => {
  const step = (others: number, screen = false) => {
    const { scaleResolutionDownBy, maxFramerate } = cameraStep(others, screen);
    return `${scaleResolutionDownBy}@${maxFramerate}`;
  };

  it('steps down in pairs of others and back up as they leave', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => step(n))).toEqual(['1@30', '1@30', '1@30', '1.5@24', '1.5@24', '2@20', '2@20', '2.5@15', '2.5@15', '2.5@15']);
  });

  it('lowers the camera one more step while a screen is shared', () => {
    expect([1, 3, 5, 7].map((n) => step(n, true))).toEqual(['1.5@24', '2@20', '2.5@15', '3@12']);
  });

  it('keeps the summed encoder load of a big room below that of a 3-person call', () => {
    // Pixels per second over all links, 640x360 captured.
    const load = (others: number) => {
      const { scaleResolutionDownBy: s, maxFramerate: fps } = cameraStep(others, false);
      return others * (640 / s) * (360 / s) * fps;
    };
    for (let others = 3; others <= 12; others++) expect(load(others), `${others} others`).toBeLessThanOrEqual(load(2));
  });
});
