import { errors } from '@catalog/domain';
import type { z } from 'zod';

export type InputPart = 'query' | 'body' | 'params' | 'headers';

/** Parses one part of a request; a failure is a 400 whose message names the first bad parameter. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, part: InputPart): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    parameter: issue.path.map(String).join('.') || part,
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `Invalid ${part} parameter "${first.parameter}": ${first.message}` : `Invalid ${part}`;
  throw errors.validation(message, { issues });
}
