import { describe, expect, it } from 'vitest';
import { formatFileSize } from './convenio-labels';

describe('document sizes as people read them (EXP-3 upload form)', () => {
  it('bytes, then kilobytes and megabytes with one decimal, rounded half up', () => {
    expect(formatFileSize(820)).toBe('820 bytes');
    expect(formatFileSize(12_800)).toBe('12.5 KB');
    expect(formatFileSize(1024)).toBe('1.0 KB');
    expect(formatFileSize(15 * 1024 * 1024)).toBe('15.0 MB');
    expect(formatFileSize(3_355_443)).toBe('3.2 MB');
  });
});
