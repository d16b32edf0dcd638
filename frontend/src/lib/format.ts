// Pure formatting helpers: no DOM, no network (unit-tested in format.test.ts).

export interface PersonNameParts {
  family?: string;
  given?: string;
  middle?: string;
  prefix?: string;
  suffix?: string;
}

// The figures are shown the same way on every machine, whatever the browser's
// locale: "143,280.03 mm³" is what the clinical teams compare against.
const LOCALE = 'en-US';
const twoDecimals = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const wholeNumber = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const upToSixDecimals = new Intl.NumberFormat(LOCALE, {
  maximumFractionDigits: 6,
  useGrouping: false,
});
const upToThreeDecimals = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 });
const upToOneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

function clean(text: string | undefined | null): string {
  return typeof text === 'string' ? text.trim().replace(/\s+/g, ' ') : '';
}

function joinWords(...words: (string | undefined)[]): string {
  return words.map(clean).filter(Boolean).join(' ');
}

/**
 * "Family, Given Middle" from the parts of a DICOM person name, with the
 * prefix before the given names and the suffix last ("Doe, Dr. John, Jr.").
 * A name with only a family part (C3N-01196) stays as it is; an empty name
 * gives "".
 */
export function formatPersonName(parts: PersonNameParts | null | undefined): string {
  if (!parts) return '';
  const family = clean(parts.family);
  const given = joinWords(parts.prefix, parts.given, parts.middle);
  const suffix = clean(parts.suffix);
  let name = family && given ? `${family}, ${given}` : family || given;
  if (suffix) name = name ? `${name}, ${suffix}` : suffix;
  return name;
}

/**
 * Splits a DICOM PN value as Orthanc's REST API returns it
 * ("Family^Given^Middle^Prefix^Suffix", optionally "=ideographic=phonetic")
 * and formats its alphabetic group.
 */
export function formatDicomPersonName(value: string | null | undefined): string {
  if (typeof value !== 'string') return '';
  const alphabetic = value.split('=')[0] ?? '';
  const [family, given, middle, prefix, suffix] = alphabetic.split('^');
  return formatPersonName({ family, given, middle, prefix, suffix });
}

/** "143,280.03 mm³"; null (no spacing in the file) gives null. */
export function formatVolume(mm3: number | null | undefined): string | null {
  if (typeof mm3 !== 'number' || !Number.isFinite(mm3)) return null;
  return `${twoDecimals.format(mm3)} mm³`;
}

/** "50,080": whole numbers with thousands separators. */
export function formatCount(count: number | null | undefined): string {
  if (typeof count !== 'number' || !Number.isFinite(count)) return '—';
  return wholeNumber.format(count);
}

/** "0.5": the threshold as configured, without trailing zeros. */
export function formatThreshold(threshold: number | null | undefined): string {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return '—';
  return upToSixDecimals.format(threshold);
}

/** "0.977 × 0.977 × 3 mm" from the pixel spacing and the slice thickness. */
export function formatVoxelSize(
  spacing: readonly (number | null)[] | null | undefined,
  thickness: number | null | undefined,
): string | null {
  if (!Array.isArray(spacing) || spacing.length < 2 || typeof thickness !== 'number') return null;
  const sizes = [spacing[0], spacing[1], thickness];
  if (!sizes.every((value): value is number => typeof value === 'number' && Number.isFinite(value))) {
    return null;
  }
  return `${sizes.map((value) => upToThreeDecimals.format(value)).join(' × ')} mm`;
}

/** "slice 17 of 33" from the server's 0-based index and the slice count. */
export function formatSliceLabel(index: number | null, count: number | null): string {
  if (index === null || count === null) return 'slice position unknown';
  return `slice ${index + 1} of ${count}`;
}

/** Reads X-Slice-Index (0-based) and X-Slice-Count; null when absent or odd. */
export function parseSliceHeaders(headers: { get(name: string): string | null }): {
  index: number | null;
  count: number | null;
} {
  const whole = (text: string | null): number | null => {
    if (text === null || !/^\s*\d+\s*$/.test(text)) return null;
    return Number.parseInt(text, 10);
  };
  const index = whole(headers.get('X-Slice-Index'));
  const count = whole(headers.get('X-Slice-Count'));
  if (index === null || count === null || index >= count) return { index: null, count: null };
  return { index, count };
}

/**
 * X-Pixel-Spacing ("0.5\\0.8": row spacing, then column spacing, in mm, as
 * DICOM writes PixelSpacing), or null when absent or not two positive numbers.
 */
export function parsePixelSpacing(text: string | null): { row: number; column: number } | null {
  if (text === null) return null;
  const parts = text.split('\\');
  if (parts.length !== 2) return null;
  const [row, column] = parts.map((part) => Number(part.trim()));
  if (!(row > 0) || !(column > 0) || !Number.isFinite(row) || !Number.isFinite(column)) return null;
  return { row, column };
}

/**
 * How to show an image of `columns` x `rows` pixels with its physical
 * proportions, columns x column spacing wide and rows x row spacing high: the
 * CSS aspect-ratio ("width / height") and whether it is wider than high. Null
 * for square pixels or unknown spacing, where the image's own proportions
 * are right.
 */
export function physicalAspectRatio(
  columns: number,
  rows: number,
  spacing: { row: number; column: number } | null,
): { ratio: string; wide: boolean } | null {
  if (!spacing || spacing.row === spacing.column || !(columns > 0) || !(rows > 0)) return null;
  const width = columns * spacing.column;
  const height = rows * spacing.row;
  return { ratio: `${width} / ${height}`, wide: width >= height };
}

/** "263 KB", "1.4 MB": file sizes for people (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit += 1;
  } while (value >= 999.5 && unit < units.length - 1);
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/**
 * "512 MiB", "64 KiB": a limit the server gives in bytes, in the binary units
 * its settings count in (MaxUploadMegabytes is in MiB), so that it reads as
 * configured.
 */
export function formatByteLimit(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${upToOneDecimal.format(value)} ${units[unit]}`;
}

/** "42 %" for a progress fraction in [0, 1]. */
export function formatPercent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return `${Math.round(clamped * 100)} %`;
}

/** "t1_mpr_tra_iso · MR · 33 images": how a series is named in the selector. */
export function formatSeriesLabel(series: {
  description?: string;
  modality?: string;
  instanceCount?: number;
  seriesNumber?: string;
  patientName?: string;
}): string {
  const description = clean(series.description) || (clean(series.seriesNumber) ? `Series ${clean(series.seriesNumber)}` : 'Unnamed series');
  const count = series.instanceCount ?? 0;
  const images = `${count} ${count === 1 ? 'image' : 'images'}`;
  const patient = clean(series.patientName);
  return [patient, description, clean(series.modality), images].filter(Boolean).join(' · ');
}
