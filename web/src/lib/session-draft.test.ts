// @vitest-environment jsdom
// Checkout's typed fields survive a trip to a wallet's page and back (a new page load), and are
// forgotten once the order moves on.
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetSessionDrafts, useSessionDraft } from './session-draft.ts';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const empty = () => ({ account: '', name: '' });

describe('useSessionDraft', () => {
  it('when the page loads again, then what was typed before is back', () => {
    const first = renderHook(() => useSessionDraft('pas_draft_o1_recipient', empty));
    act(() => first.result.current[1]({ account: '0912345678', name: '' }));
    first.unmount();

    const again = renderHook(() => useSessionDraft('pas_draft_o1_recipient', empty));
    expect(again.result.current[0]).toEqual({ account: '0912345678', name: '' });
    const other = renderHook(() => useSessionDraft('pas_draft_o2_recipient', empty));
    expect(other.result.current[0]).toEqual(empty());
  });

  it('when the stored value is not a draft, then the form starts from its defaults', () => {
    sessionStorage.setItem('pas_draft_o1_holder', '{"name": 5, "extra": "x"}');
    const { result } = renderHook(() =>
      useSessionDraft('pas_draft_o1_holder', () => ({ name: 'Amy', email: '' })),
    );
    expect(result.current[0]).toEqual({ name: 'Amy', email: '' });
    sessionStorage.setItem('pas_draft_o1_holder', 'not json');
    expect(
      renderHook(() => useSessionDraft('pas_draft_o1_holder', () => ({ name: 'Amy' }))).result
        .current[0],
    ).toEqual({ name: 'Amy' });
  });

  it('when the order moves on, then its drafts are forgotten and other orders keep theirs', () => {
    sessionStorage.setItem('pas_draft_o1_holder', '{}');
    sessionStorage.setItem('pas_draft_o1_recipient', '{}');
    sessionStorage.setItem('pas_draft_o2_recipient', '{}');
    forgetSessionDrafts('pas_draft_o1_');
    expect(Object.keys(sessionStorage)).toEqual(['pas_draft_o2_recipient']);
  });
});
