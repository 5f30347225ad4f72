import type { FieldIssue } from './errors';
import './zod-locale';
import type * as z from 'zod/mini';

/** Turns zod issues into field issues with dotted paths (`clusters.0.name`). */
export const toFieldIssues = (error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
