/** One thing a drill checked: what was expected, what was found, and the verdict. */
export interface DrillCheck {
  check: string;
  status: 'PASS' | 'WARN' | 'FAIL' | 'SKIP';
  expected?: string;
  actual?: string;
  detail?: string;
}

export function failed(checks: readonly DrillCheck[]): DrillCheck[] {
  return checks.filter((c) => c.status === 'FAIL');
}
