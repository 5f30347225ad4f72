import * as z from 'zod/mini';

/** Pieces of the task events the workflow sends (see statemachines/shift.asl.json). */
export const executionId = z.string().check(z.minLength(1));
export const count = (min = 0) => z.int().check(z.gte(min));
/** A Catch's error output: `{ Error, Cause }`. */
export const caughtError = z.looseObject({ Error: z.string(), Cause: z.optional(z.unknown()) });
