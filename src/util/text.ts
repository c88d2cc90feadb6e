// Small text helpers shared by every layer (suggestions in error messages, truncation).

/** Levenshtein distance, two rows at a time. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidates closest to `word`, best first: substring matches, then small edit distances
 * (at most a third of the word's length, so unrelated names are not suggested).
 */
export function closestMatches(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(w, lc);
    if (d <= limit) scored.push([d, c]);
    else if (w.length >= 3 && (lc.includes(w) || w.includes(lc)))
      scored.push([limit + 1 + Math.abs(lc.length - w.length) / 100, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return scored.slice(0, max).map(([, c]) => c);
}

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return closestMatches(word, candidates, 1)[0];
}
