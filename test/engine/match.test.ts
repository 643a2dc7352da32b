import { describe, expect, it } from 'vitest';
import { matchesEvent, matchesResource, patternProblem } from '../../electron/core/triggers/match.js';

const lead = { 'prefect.resource.id': 'lead.ann@example.com', source: 'facebook-ad' };

describe('resource labels', () => {
  it('exact values and trailing wildcards', () => {
    expect(matchesResource({ 'prefect.resource.id': 'lead.ann@example.com' }, lead)).toBe(true);
    expect(matchesResource({ 'prefect.resource.id': 'lead.*' }, lead)).toBe(true);
    expect(matchesResource({ 'prefect.resource.id': 'visitor.*' }, lead)).toBe(false);
    expect(matchesResource({ 'prefect.resource.id': '*' }, lead)).toBe(true);
    expect(matchesResource({ 'prefect.resource.id': 'lead.' }, lead)).toBe(false);
  });
  it('a list of values is ORed', () => {
    expect(matchesResource({ 'prefect.resource.id': ['visitor.*', 'lead.*'] }, lead)).toBe(true);
    expect(matchesResource({ 'prefect.resource.id': ['visitor.*', 'email.*'] }, lead)).toBe(false);
  });
  it('labels are ANDed', () => {
    expect(matchesResource({ 'prefect.resource.id': 'lead.*', source: 'facebook-*' }, lead)).toBe(true);
    expect(matchesResource({ 'prefect.resource.id': 'lead.*', source: 'google-*' }, lead)).toBe(false);
  });
  it('"!" negates; negations and positives combine', () => {
    expect(matchesResource({ source: '!google-*' }, lead)).toBe(true);
    expect(matchesResource({ source: '!facebook-*' }, lead)).toBe(false);
    expect(matchesResource({ 'prefect.resource.id': ['lead.*', '!lead.ann@*'] }, lead)).toBe(false);
    expect(matchesResource({ 'prefect.resource.id': ['lead.*', '!lead.bob@*'] }, lead)).toBe(true);
  });
  it('a missing label fails a positive match and passes a negated one', () => {
    expect(matchesResource({ segment: 'fitness' }, lead)).toBe(false);
    expect(matchesResource({ segment: '!fitness' }, lead)).toBe(true);
  });
  it('an empty match matches every resource', () => {
    expect(matchesResource({}, lead)).toBe(true);
  });
});

describe('expected event names', () => {
  it('empty means any; names and wildcards', () => {
    expect(matchesEvent([], 'lead.opted_in')).toBe(true);
    expect(matchesEvent(['lead.opted_in'], 'lead.opted_in')).toBe(true);
    expect(matchesEvent(['lead.*'], 'lead.assessment_complete')).toBe(true);
    expect(matchesEvent(['email.opened', 'email.clicked'], 'email.clicked')).toBe(true);
    expect(matchesEvent(['email.opened'], 'email.clicked')).toBe(false);
    expect(matchesEvent(['*'], 'anything.at_all')).toBe(true);
  });
});

it('patterns are checked when saved', () => {
  expect(patternProblem('lead.*')).toBeNull();
  expect(patternProblem('!lead.*')).toBeNull();
  expect(patternProblem('le*d')).toMatch(/only allowed at the end/);
  expect(patternProblem('lead!')).toMatch(/only allowed at the start/);
  expect(patternProblem('!')).toMatch(/empty/);
});
