/** A `?next=` value to return to after sign-in, but only a page of this app (never another origin). */
export function nextPath(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}
