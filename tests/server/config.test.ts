import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';

describe('organisation settings read from the environment', () => {
  it('FSRS retention and maximum interval (issue 11) have defaults and refuse values out of range', () => {
    expect(loadConfig({})).toMatchObject({ reviewRetentionPercent: 90, reviewMaxIntervalDays: 365, attendancePresentPercent: 80 });
    expect(loadConfig({ REVIEW_RETENTION_PERCENT: '85', REVIEW_MAX_INTERVAL_DAYS: '180' })).toMatchObject({ reviewRetentionPercent: 85, reviewMaxIntervalDays: 180 });
    expect(() => loadConfig({ REVIEW_RETENTION_PERCENT: '99' })).toThrow(/REVIEW_RETENTION_PERCENT must be from 70 to 97/);
    expect(() => loadConfig({ REVIEW_MAX_INTERVAL_DAYS: '0' })).toThrow(/REVIEW_MAX_INTERVAL_DAYS must be from 1 to 36500/);
    expect(() => loadConfig({ ATTENDANCE_PRESENT_PERCENT: '0' })).toThrow(/ATTENDANCE_PRESENT_PERCENT must be a percentage/);
  });
});
