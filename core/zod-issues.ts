import type { z } from 'zod';
import type { FieldIssue } from './errors';

/** Turns zod issues into field issues with dotted paths (`clusters.0.name`). */
export const toFieldIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
