/**
 * The two-person rule shared by compliance exemptions and break-glass
 * overrides of the promotion gate: one person asks, someone else approves.
 */

/** Where an exemption or override stands; "expired" is derived from its expiry. @public */
export type ApprovalStatus = 'requested' | 'active' | 'revoked';

/** Bounds on the reason a person gives. @public */
export const REASON_LIMITS = { minVisible: 10, maxLength: 2000 } as const;

/**
 * Characters of `text` a reader can see: without whitespace, control and
 * format characters (zero-width spaces and joiners, bidi marks), so that ten
 * zero-width spaces are not a reason.
 *
 * @public
 */
export function visibleLength(text: string): number {
  return text.replace(/[\s\p{Cc}\p{Cf}\p{Z}]/gu, '').length;
}

/**
 * Checks a reason: at least 10 visible characters, at most 2000 in all.
 * Returns the message for a bad one.
 *
 * @public
 */
export function reasonProblem(reason: string): string | undefined {
  if (reason.length > REASON_LIMITS.maxLength) {
    return `is ${reason.length} characters long; at most ${REASON_LIMITS.maxLength}`;
  }
  if (visibleLength(reason) < REASON_LIMITS.minVisible) {
    return `must say why, in at least ${REASON_LIMITS.minVisible} visible characters`;
  }
  return undefined;
}
