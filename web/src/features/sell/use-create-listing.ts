// Creating a listing: one multipart POST with the photos, its upload progress, and the views a
// new listing changes (its game's tickets, the calendar's counts, the seller's listings).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateListingBody } from '../../../../shared/contracts/listings.ts';
import { uploadWithProgress } from '../../api/client.ts';
import type { Listing } from '../../api/types.ts';
import { gameListingsKey } from '../games/games-api.ts';
import { GAMES_KEY } from '../home/home-api.ts';
import { MY_LISTINGS_KEY } from '../listings/listings-api.ts';

/** The listing's fields as multipart form fields (numbers as digits), then the photos. */
export function listingFormData(body: CreateListingBody, photos: File[]): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) {
    if (value !== null && value !== undefined) form.append(key, String(value));
  }
  for (const file of photos) form.append('images', file, file.name);
  return form;
}

export function useCreateListing() {
  const qc = useQueryClient();
  /** Share of the upload sent, 0-1; null while nothing is being sent. */
  const [progress, setProgress] = useState<number | null>(null);
  const mutation = useMutation({
    mutationFn: ({ body, photos }: { body: CreateListingBody; photos: File[] }) =>
      uploadWithProgress<Listing>('/api/listings', listingFormData(body, photos), setProgress),
    onMutate: () => setProgress(0),
    onError: () => setProgress(null),
    onSuccess: (listing) => {
      void qc.invalidateQueries({ queryKey: gameListingsKey(listing.game.id) });
      void qc.invalidateQueries({ queryKey: GAMES_KEY });
      void qc.invalidateQueries({ queryKey: MY_LISTINGS_KEY });
    },
  });
  const reset = () => {
    mutation.reset();
    setProgress(null);
  };
  return { ...mutation, progress, reset };
}
