import { describe, expect, it } from 'vitest';
import { humanize, LEAD_STAGE_WORDS, leadStageFor, stageWords } from '../../renderer/src/lib/labels.js';

describe('lead stages in words', () => {
  it('shows each stage the engine sets in words, and any other by its name', () => {
    expect(stageWords('opted_in')).toBe('Signed up');
    expect(stageWords('assessment_complete')).toBe('Assessment complete');
    expect(stageWords('sales_page')).toBe('Sales page');
    for (const words of Object.values(LEAD_STAGE_WORDS)) expect(words).not.toMatch(/_/);
  });

  it('finds the stage a text means, by its name or its words, whatever the case', () => {
    expect(leadStageFor('assessment_complete')).toBe('assessment_complete');
    expect(leadStageFor('Assessment complete')).toBe('assessment_complete');
    expect(leadStageFor(' ASSESSMENT-COMPLETE ')).toBe('assessment_complete');
    expect(leadStageFor('signed up')).toBe('opted_in');
    expect(leadStageFor('Opted in')).toBe('opted_in');
    expect(leadStageFor('Booking canceled')).toBe('booking_canceled');
    expect(leadStageFor('customer')).toBe('customer');
    expect(leadStageFor('vip')).toBeUndefined();
    expect(leadStageFor('assessment')).toBeUndefined();
  });
});

describe('names in words', () => {
  it('keeps the apps\' names and abbreviations spelled as they are, wherever they appear', () => {
    expect(humanize('mirror_to_notion')).toBe('Mirror to Notion');
    expect(humanize('notify_slack')).toBe('Notify Slack');
    expect(humanize('discord-alert')).toBe('Discord alert');
    expect(humanize('prefect')).toBe('Prefect');
    expect(humanize('send_cta_email')).toBe('Send CTA email');
    expect(humanize('data_source_id')).toBe('Data source ID');
    expect(humanize('add_to_audience')).toBe('Add to audience');
    // Only whole words: "metadata" is not Meta, "loopsy" is not Loops.
    expect(humanize('metadata_loopsy')).toBe('Metadata loopsy');
  });
});
