/**
 * A few hundred bytes of validators for the client entry. They copy the parts of zod's semantics
 * the protocol's schemas rely on (strict objects that refuse unknown keys, `key in input` for
 * presence, optional-but-present keys kept as `undefined`, safe integers, trimming), because the
 * agreement test holds them to the zod schemas payload by payload. The first problem found ends a
 * check: a client needs to know that a message is bad, not every reason why.
 */

export type Path = readonly (string | number)[];

/** Returns the checked value (possibly normalised, e.g. trimmed) or throws a `Failure`. */
export type Check<T> = ((value: unknown, path: Path) => T) & { optional?: true };

export class Failure {
  constructor(
    readonly path: Path,
    readonly message: string,
  ) {}
}

export function fail(path: Path, message: string): never {
  throw new Failure(path, message);
}

export const boolean: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'expected a boolean'));

/* @__NO_SIDE_EFFECTS__ */
export function literal<T extends boolean>(expected: T): Check<T> {
  return (v, p) => (v === expected ? expected : fail(p, `expected ${String(expected)}`));
}

/* @__NO_SIDE_EFFECTS__ */
export function oneOf<const T extends readonly string[]>(values: T): Check<T[number]> {
  return (v, p) => ((values as readonly unknown[]).includes(v) ? (v as T[number]) : fail(p, `expected one of ${values.join(', ')}`));
}

/* @__NO_SIDE_EFFECTS__ */
export function string(min: number, max: number, pattern?: RegExp, patternMessage = 'invalid format'): Check<string> {
  return (v, p) => {
    if (typeof v !== 'string') return fail(p, 'expected a string');
    if (v.length < min) return fail(p, `must have at least ${min} characters`);
    if (v.length > max) return fail(p, `must have at most ${max} characters`);
    if (pattern && !pattern.test(v)) return fail(p, patternMessage);
    return v;
  };
}

/** zod's `.int()`: a finite number that is a safe integer. */
/* @__NO_SIDE_EFFECTS__ */
export function int(min: number, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, p) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail(p, 'expected an integer');
    if (v < min || v > max) return fail(p, `must be between ${min} and ${max}`);
    return v;
  };
}

/* @__NO_SIDE_EFFECTS__ */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return Object.assign((v: unknown, p: Path) => (v === undefined ? undefined : check(v, p)), { optional: true as const });
}

/* @__NO_SIDE_EFFECTS__ */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : check(v, p));
}

/* @__NO_SIDE_EFFECTS__ */
export function array<T>(element: Check<T>, min = 0, max = Infinity): Check<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) return fail(p, 'expected an array');
    if (v.length < min || v.length > max) return fail(p, `must have ${min} to ${max} items`);
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) out.push(element(v[i], [...p, i]));
    return out;
  };
}

/** The first alternative that accepts the value wins, as in `z.union`. */
/* @__NO_SIDE_EFFECTS__ */
export function union<T>(...alternatives: Check<T>[]): Check<T> {
  return (v, p) => {
    let first: Failure | undefined;
    for (const alternative of alternatives) {
      try {
        return alternative(v, p);
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        first ??= error;
      }
    }
    throw first ?? new Failure(p, 'no alternative matched');
  };
}

type Shape = Record<string, Check<unknown>>;
type Output<S extends Shape> = { [K in keyof S as S[K] extends { optional: true } ? never : K]: ReturnType<S[K]> } & {
  [K in keyof S as S[K] extends { optional: true } ? K : never]?: ReturnType<S[K]>;
};

/** `z.strictObject`: every key of the input, own or inherited, must be one of the shape's. */
/* @__NO_SIDE_EFFECTS__ */
export function strict<S extends Shape>(shape: S): Check<Output<S>> {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'expected an object');
    const input = v as Record<string, unknown>;
    for (const key in input) if (!known.has(key)) fail([...p, key], 'unrecognized key');
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const check = shape[key]!;
      if (!(key in input)) {
        if (check.optional) continue;
        fail([...p, key], 'required');
      }
      out[key] = check(input[key], [...p, key]);
    }
    return out as Output<S>;
  };
}

/** A condition on the checked value, as `.refine()` is on a schema's output. */
/* @__NO_SIDE_EFFECTS__ */
export function refine<T>(check: Check<T>, holds: (value: T) => boolean, message: string): Check<T> {
  return (v, p) => {
    const out = check(v, p);
    return holds(out) ? out : fail(p, message);
  };
}
