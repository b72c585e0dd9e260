/**
 * The report's entry point for the run pipeline and `quorumcheck report`: read a run directory,
 * build the page and write `report.html` beside the run's files (the page links to them by
 * relative paths, so the directory can be copied, zipped or served as it is).
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReportData, type ReportDataOptions } from './report-data.js';
import { renderRunReport } from './report-html.js';
import { readRunInputs } from './run-inputs.js';

export const REPORT_FILE = 'report.html';

export interface WrittenReport {
  path: string;
  /** What the page says is missing from the run directory. */
  missing: string[];
}

/**
 * Writes `<runDir>/report.html` (through a temporary file, so a reader never sees half a page).
 * Throws NotARunDirectoryError for a path that is not a run directory; anything else the
 * directory lacks is said on the page.
 */
export async function writeRunReport(runDir: string, options: ReportDataOptions = {}): Promise<WrittenReport> {
  const inputs = await readRunInputs(runDir);
  const data = buildReportData(inputs, options);
  const path = join(runDir, REPORT_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, renderRunReport(data));
  await rename(temporary, path);
  return { path, missing: [...inputs.missing, ...data.notes] };
}
