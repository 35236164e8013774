/**
 * The app's hand-drawn 24px stroke icons as data: each is a list of SVG shapes that AppIcon.vue
 * draws. A table rather than one template branch per icon, because the compiled branches (a vnode
 * call per shape, a condition per icon) cost about twice the bytes of the shapes themselves
 * (issue 14's size budget).
 */
export type Shape = ['path', { d: string; 'stroke-width'?: number }] | ['rect', { x: number; y: number; width: number; height: number; rx: number }] | ['circle', { cx: number; cy: number; r: number }];

const path = (d: string): Shape => ['path', { d }];
const rect = (x: number, y: number, width: number, height: number, rx: number): Shape => ['rect', { x, y, width, height, rx }];
const circle = (cx: number, cy: number, r: number): Shape => ['circle', { cx, cy, r }];

const MIC = [rect(9, 3, 6, 11, 3), path('M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M9 21h6')];
const CAMERA = [rect(3, 6.5, 12.5, 11, 2.5), path('M15.5 10.5l5-3v9l-5-3')];

export const ICONS = {
  mic: MIC,
  'mic-off': [...MIC, path('M4 4l16 16')],
  camera: CAMERA,
  'camera-off': [...CAMERA, path('M3 3.5l18 17')],
  screen: [rect(2.5, 4, 19, 13, 2), path('M8 21h8M12 17v4M12 13.5V8M9.5 10.5L12 8l2.5 2.5')],
  leave: [path('M3.5 14.5c4.7-4.6 12.3-4.6 17 0l-1.9 2.6-3.6-1.4.2-2.4a9.5 9.5 0 0 0-6.4 0l.2 2.4-3.6 1.4z')],
  link: [path('M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1.2 1.2'), path('M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.2-1.2')],
  check: [path('M4.5 12.5l5 5 10-11')],
  users: [circle(9, 8, 3.5), path('M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5M16 4.8a3.5 3.5 0 0 1 0 6.4M18.5 14.8c1.7.8 2.7 2.5 3 5.2')],
  alert: [path('M12 3.5l9.5 16.5h-19z'), path('M12 10v4.5M12 17.5v.01')],
  signal: [path('M4 19v-3M9 19v-7M14 19v-10M19 19V5')],
  settings: [path('M4 7h10M18 7h2M4 17h2M10 17h10'), circle(16, 7, 2.2), circle(8, 17, 2.2)],
  hand: [
    path('M8 12.5V5.5a1.5 1.5 0 0 1 3 0V11M11 10.5V4a1.5 1.5 0 0 1 3 0v6.5M14 10.5V5.5a1.5 1.5 0 0 1 3 0V14'),
    path('M17 9.5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7L4.3 14.6a1.6 1.6 0 0 1 2.6-1.8L8 14.3'),
  ],
  chat: [path('M4 5.5h16v11H9l-5 4z')],
  smile: [circle(12, 12, 9), path('M8 14.5a5 5 0 0 0 8 0M9 9.5v.01M15 9.5v.01')],
  grid: [rect(3.5, 3.5, 7, 7, 1.5), rect(13.5, 3.5, 7, 7, 1.5), rect(3.5, 13.5, 7, 7, 1.5), rect(13.5, 13.5, 7, 7, 1.5)],
  'speaker-view': [rect(3, 3.5, 18, 12, 2), path('M4 20.5h4M10 20.5h4M16 20.5h4')],
  pin: [path('M9 3.5h6l-1 6 3.5 3.5h-11L10 9.5zM12 13v7.5')],
  close: [path('M6 6l12 12M18 6L6 18')],
  more: [['path', { d: 'M5 12h.01M12 12h.01M19 12h.01', 'stroke-width': 3 }]],
  send: [path('M4 12l16-8-6 16-2.5-6.5z')],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;
