/** The gate's answer for each environment it has a threshold for. */
export function gateAnswers(
  score: number,
  thresholds: Record<string, number>,
): Array<{ environment: string; threshold: number; allowed: boolean }> {
  return Object.entries(thresholds).map(([environment, threshold]) => ({
    environment,
    threshold,
    allowed: score >= threshold,
  }));
}
