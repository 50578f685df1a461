import { useEffect, useMemo } from 'react';

import { normaliseError } from './api-client';
import { i18n } from './i18n';

/** One refused part of a request: where in the body (e.g. "categories.1.price") and why, for a person. */
export interface FieldProblem { path: string; message: string }

// Pydantic's wording, read as the hint under a field says it (in the page's language: `common:field`).
const said = (key: string, options?: Record<string, unknown>) => i18n.t(`common:field.${key}`, options);
const REWORDED: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Field required$/, () => said('required')],
  [/^String should have at least 1 character$/, () => said('required')],
  [/^String should have at most (\d+) characters?$/, (m) => said('atMostChars', { count: Number(m[1]) })],
  [/^String should have at least (\d+) characters?$/, (m) => said('atLeastChars', { count: Number(m[1]) })],
  [/^List should have at most (\d+) items?\b.*$/, (m) => said('atMost', { limit: m[1] })],
  [/^List should have at least (\d+) items?\b.*$/, (m) => said('atLeast', { limit: m[1] })],
  [/^Input should be greater than or equal to (\S+)$/, (m) => said('atLeast', { limit: m[1] })],
  [/^Input should be greater than (\S+)$/, (m) => said('moreThan', { limit: m[1] })],
  [/^Input should be less than or equal to (\S+)$/, (m) => said('atMost', { limit: m[1] })],
  [/^Input should be less than (\S+)$/, (m) => said('lessThan', { limit: m[1] })],
  [/^Decimal input should have no more than (\d+) decimal places?$/, (m) => said('decimals', { count: Number(m[1]) })],
  [/^Input should be a valid integer\b.*$/, () => said('whole')],
  [/^Input should be a valid (number|decimal)\b.*$/, () => said('number')],
  [/^Input should be a valid datetime\b.*$/, () => said('dateTime')],
  [/^Input should have timezone info$/, () => said('dateTimeZone')],
  [/^String should match pattern .*$/, () => said('pattern')],
  [/^Extra inputs are not permitted$/, () => said('extra')],
];

/** The API's `msg` for one field as a person reads it: "name: at most 200 characters" -> "At most 200 characters". */
export function readableFieldMessage(msg: string, field?: string): string {
  let text = msg.trim().replace(/^(Value error|Assertion failed), /, '');
  if (field && text.toLowerCase().startsWith(`${field.toLowerCase()}: `)) text = text.slice(field.length + 2);
  for (const [pattern, reword] of REWORDED) {
    const found = pattern.exec(text);
    if (found) return reword(found);
  }
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isDetailEntry(entry: unknown): entry is { loc: unknown[]; msg: string } {
  if (!entry || typeof entry !== 'object') return false;
  const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
  return Array.isArray(loc) && typeof msg === 'string';
}

/** The error's `detail` (validation errors, a refused order line), each with its path into the body. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!error) return [];
  const { detail } = normaliseError(error);
  if (!Array.isArray(detail)) return [];
  return detail.filter(isDetailEntry).map(({ loc, msg }) => {
    // "body" (or "query", "path") says which part of the request; the form only knows the rest.
    const path = loc.slice(1).map(String).join('.');
    return { path, message: readableFieldMessage(msg, path.split('.').pop()) };
  });
}

/**
 * Puts the API's field problems of `error` into a form's own field errors (`setErrors`), keyed by
 * `formKeyOf(path)`, each time a new error comes; answers the problems no field of the form shows.
 */
export function useApiFieldErrors(
  error: unknown,
  formKeyOf: (path: string) => string | undefined,
  setErrors: (update: (errors: Record<string, string>) => Record<string, string>) => void,
): FieldProblem[] {
  // formKeyOf is a fixed mapping of the form: only a new error places anything.
  const placed = useMemo(() => place(fieldProblems(error), formKeyOf), [error]);
  useEffect(() => {
    if (Object.keys(placed.onFields).length > 0) setErrors((errors) => ({ ...placed.onFields, ...errors }));
  }, [placed, setErrors]);
  return placed.elsewhere;
}

function place(problems: FieldProblem[], formKeyOf: (path: string) => string | undefined) {
  const onFields: Record<string, string> = {};
  const elsewhere: FieldProblem[] = [];
  for (const problem of problems) {
    const key = problem.path ? formKeyOf(problem.path) : undefined;
    if (key && !onFields[key]) onFields[key] = problem.message;
    else if (!key) elsewhere.push(problem);
  }
  return { onFields, elsewhere };
}

/** A form's `formKeyOf` for fields named as in the API or renamed by `renamed` (API name -> form key). */
export function fieldsNamed(names: readonly string[], renamed: Record<string, string> = {}) {
  return (path: string): string | undefined => renamed[path] ?? (names.includes(path) ? path : undefined);
}
