import { describe, expect, it } from 'vitest';
import {
  formatByteLimit,
  formatBytes,
  formatCount,
  formatDicomPersonName,
  formatPercent,
  formatPersonName,
  formatSeriesLabel,
  formatSliceLabel,
  formatThreshold,
  formatVolume,
  formatVoxelSize,
  parsePixelSpacing,
  parseSliceHeaders,
  physicalAspectRatio,
} from './format';

const headers = (values: Record<string, string>) => new Headers(values);

describe('formatPersonName', () => {
  it('keeps a name with only a family part as it is', () => {
    expect(
      formatPersonName({ family: 'C3N-01196', given: '', middle: '', prefix: '', suffix: '' }),
    ).toBe('C3N-01196');
  });

  it('writes "Family, Given"', () => {
    expect(formatPersonName({ family: 'Doe', given: 'Jane' })).toBe('Doe, Jane');
  });

  it('places middle names after the given name, the prefix before it and the suffix last', () => {
    expect(
      formatPersonName({ family: 'Doe', given: 'John', middle: 'Q.', prefix: 'Dr.', suffix: 'Jr.' }),
    ).toBe('Doe, Dr. John Q., Jr.');
  });

  it('gives the given name alone when there is no family name', () => {
    expect(formatPersonName({ family: '', given: 'Jane' })).toBe('Jane');
  });

  it('trims and collapses white space', () => {
    expect(formatPersonName({ family: '  Van  der Berg ', given: ' Anna ' })).toBe('Van der Berg, Anna');
  });

  it('keeps non-ASCII names', () => {
    expect(formatPersonName({ family: 'Müller', given: 'Jürgen' })).toBe('Müller, Jürgen');
    expect(formatPersonName({ family: '山田', given: '太郎' })).toBe('山田, 太郎');
  });

  it('gives "" for no name at all', () => {
    expect(formatPersonName(null)).toBe('');
    expect(formatPersonName({})).toBe('');
  });
});

describe('formatDicomPersonName', () => {
  it('splits the caret-separated components', () => {
    expect(formatDicomPersonName('Doe^Jane^Mary^Dr.^PhD')).toBe('Doe, Dr. Jane Mary, PhD');
    expect(formatDicomPersonName('C3N-01196')).toBe('C3N-01196');
  });

  it('uses the alphabetic group only', () => {
    expect(formatDicomPersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toBe('Yamada, Tarou');
  });

  it('gives "" for anything but a string', () => {
    expect(formatDicomPersonName(undefined)).toBe('');
    expect(formatDicomPersonName('')).toBe('');
  });
});

describe('formatVolume', () => {
  it('formats mm³ with thousands separators and two decimals', () => {
    expect(formatVolume(143280.029296875)).toBe('143,280.03 mm³');
    expect(formatVolume(75750.03)).toBe('75,750.03 mm³');
    expect(formatVolume(0)).toBe('0.00 mm³');
    expect(formatVolume(2.86102294921875)).toBe('2.86 mm³');
    expect(formatVolume(1234567.005)).toMatch(/^1,234,567\.0[01] mm³$/);
  });

  it('gives null when the server has no volume (missing spacing)', () => {
    expect(formatVolume(null)).toBeNull();
    expect(formatVolume(undefined)).toBeNull();
    expect(formatVolume(Number.NaN)).toBeNull();
  });
});

describe('numbers', () => {
  it('formats counts with thousands separators', () => {
    expect(formatCount(50080)).toBe('50,080');
    expect(formatCount(417085)).toBe('417,085');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(null)).toBe('—');
  });

  it('writes the threshold as configured', () => {
    expect(formatThreshold(0.5)).toBe('0.5');
    expect(formatThreshold(0.25)).toBe('0.25');
    expect(formatThreshold(1)).toBe('1');
    expect(formatThreshold(undefined)).toBe('—');
  });

  it('writes the voxel size', () => {
    expect(formatVoxelSize([0.9765625, 0.9765625], 3)).toBe('0.977 × 0.977 × 3 mm');
    expect(formatVoxelSize(null, 3)).toBeNull();
    expect(formatVoxelSize([1, 1], null)).toBeNull();
  });

  it('writes file sizes', () => {
    expect(formatBytes(13)).toBe('13 B');
    expect(formatBytes(526_000)).toBe('526 KB');
    expect(formatBytes(1_450_000)).toBe('1.4 MB');
    expect(formatBytes(999_999)).toBe('1.0 MB');
    expect(formatBytes(-1)).toBe('');
  });

  it('writes a limit in the binary units the settings count in', () => {
    expect(formatByteLimit(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatByteLimit(64 * 1024)).toBe('64 KiB');
    expect(formatByteLimit(1024 * 1024)).toBe('1 MiB');
    expect(formatByteLimit(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(formatByteLimit(65536 * 1024 * 1024)).toBe('64 GiB');
    expect(formatByteLimit(100)).toBe('100 bytes');
    expect(formatByteLimit(-1)).toBe('');
    expect(formatByteLimit(Number.NaN)).toBe('');
  });

  it('writes progress', () => {
    expect(formatPercent(0.423)).toBe('42 %');
    expect(formatPercent(2)).toBe('100 %');
    expect(formatPercent(Number.NaN)).toBe('0 %');
  });
});

describe('slices', () => {
  it('counts slices from 1 for people', () => {
    expect(formatSliceLabel(16, 33)).toBe('slice 17 of 33');
    expect(formatSliceLabel(0, 1)).toBe('slice 1 of 1');
    expect(formatSliceLabel(null, null)).toBe('slice position unknown');
  });

  it('reads X-Slice-Index and X-Slice-Count', () => {
    expect(parseSliceHeaders(headers({ 'X-Slice-Index': '16', 'X-Slice-Count': '33' }))).toEqual({
      index: 16,
      count: 33,
    });
  });

  it('refuses missing, malformed or inconsistent headers', () => {
    const unknown = { index: null, count: null };
    expect(parseSliceHeaders(headers({}))).toEqual(unknown);
    expect(parseSliceHeaders(headers({ 'X-Slice-Index': 'x', 'X-Slice-Count': '33' }))).toEqual(unknown);
    expect(parseSliceHeaders(headers({ 'X-Slice-Index': '33', 'X-Slice-Count': '33' }))).toEqual(unknown);
    expect(parseSliceHeaders(headers({ 'X-Slice-Index': '-1', 'X-Slice-Count': '33' }))).toEqual(unknown);
  });
});

describe('parsePixelSpacing', () => {
  it('reads row spacing, then column spacing', () => {
    expect(parsePixelSpacing('0.5\\0.8')).toEqual({ row: 0.5, column: 0.8 });
    expect(parsePixelSpacing(' 0.7 \\ 0.7 ')).toEqual({ row: 0.7, column: 0.7 });
  });

  it('refuses what is not two positive numbers', () => {
    for (const text of [null, '', '0.5', '0.5\\0.8\\1', '0\\0.8', '-1\\1', 'a\\b', 'Infinity\\1']) {
      expect(parsePixelSpacing(text)).toBeNull();
    }
  });
});

describe('physicalAspectRatio', () => {
  it('makes 512 x 512 pixels of 0.8 mm columns and 0.5 mm rows wider than high', () => {
    // 512 x 0.8 = 409.6 mm wide, 512 x 0.5 = 256 mm high.
    expect(physicalAspectRatio(512, 512, { row: 0.5, column: 0.8 })).toEqual({
      ratio: '409.6 / 256',
      wide: true,
    });
    expect(physicalAspectRatio(100, 100, { row: 0.8, column: 0.5 })).toEqual({
      ratio: '50 / 80',
      wide: false,
    });
  });

  it('leaves square pixels and unknown spacing to the image', () => {
    expect(physicalAspectRatio(512, 512, { row: 0.7, column: 0.7 })).toBeNull();
    expect(physicalAspectRatio(512, 512, null)).toBeNull();
    expect(physicalAspectRatio(0, 512, { row: 0.5, column: 0.8 })).toBeNull();
  });
});

describe('formatSeriesLabel', () => {
  it('names a series by patient, description, modality and size', () => {
    expect(
      formatSeriesLabel({
        patientName: 'C3N-01196',
        description: 't1_mpr_tra_iso',
        modality: 'MR',
        instanceCount: 33,
      }),
    ).toBe('C3N-01196 · t1_mpr_tra_iso · MR · 33 images');
  });

  it('falls back to the series number, and says "image" for one', () => {
    expect(formatSeriesLabel({ seriesNumber: '4', modality: 'CT', instanceCount: 1 })).toBe(
      'Series 4 · CT · 1 image',
    );
    expect(formatSeriesLabel({})).toBe('Unnamed series · 0 images');
  });
});
