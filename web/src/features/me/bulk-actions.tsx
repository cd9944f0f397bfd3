// The seller's bulk actions (issue 22 item 4): change the price of the chosen listings to one
// share of each one's face value, or take them down, in one request each; the server answers per
// listing and the page says how many changed and how many were refused.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { BulkListingsResult } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { MY_LISTINGS_KEY } from '../listings/listings-api.ts';

export function BulkActions({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [percent, setPercent] = useState('90');
  const [result, setResult] = useState<BulkListingsResult | null>(null);
  const finish = (r: BulkListingsResult) => {
    setResult(r);
    onDone();
    void qc.invalidateQueries({ queryKey: MY_LISTINGS_KEY });
  };
  const reprice = useMutation({
    mutationFn: (p: number) =>
      api<BulkListingsResult>('/api/me/listings/bulk-update', {
        method: 'POST',
        body: { listingIds: ids, price: { kind: 'percentOfFace', percent: p } },
      }),
    onSuccess: finish,
  });
  const takeDown = useMutation({
    mutationFn: () =>
      api<BulkListingsResult>('/api/me/listings/bulk-cancel', {
        method: 'POST',
        body: { listingIds: ids },
      }),
    onSuccess: finish,
  });
  const p = Number(percent);
  const valid = Number.isInteger(p) && p >= 1 && p <= 100;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && ids.length) reprice.mutate(p);
  };
  return (
    <section className="card bulk-actions" aria-labelledby="bulk-title">
      <h2 id="bulk-title" className="small">
        {t('bulk.selected', { count: ids.length })}
      </h2>
      <form className="inline-form" onSubmit={submit}>
        <label className="field">
          <span>{t('bulk.percent')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            value={percent}
            aria-invalid={!valid}
            onChange={(e) => setPercent(e.target.value)}
          />
        </label>
        <div className="actions-row">
          <button
            type="submit"
            className="button small"
            disabled={!ids.length || !valid || reprice.isPending}
          >
            {t('bulk.reprice')}
          </button>
          <button
            type="button"
            className="button ghost small"
            disabled={!ids.length || takeDown.isPending}
            onClick={() => {
              if (window.confirm(t('bulk.confirmTakeDown', { count: ids.length })))
                takeDown.mutate();
            }}
          >
            {t('bulk.takeDown')}
          </button>
        </div>
      </form>
      {result && (
        <p role="status">
          {t('bulk.done', {
            changed: result.changed,
            refused: result.results.length - result.changed,
          })}
        </p>
      )}
      {reprice.isError && <ErrorNotice error={reprice.error} />}
      {takeDown.isError && <ErrorNotice error={takeDown.error} />}
    </section>
  );
}
