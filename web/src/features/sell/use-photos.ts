// The photos chosen for a listing, with preview URLs released when a photo is removed and when
// the form goes away.
import { useEffect, useRef, useState } from 'react';
import { checkPhoto, PHOTO_MAX_COUNT, type FieldProblem } from './sell-validation.ts';

export interface Photo {
  file: File;
  url: string;
}

export function usePhotos() {
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const photosRef = useRef(photos);
  useEffect(() => {
    photosRef.current = photos;
  }, [photos]);
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  return {
    photos,
    problem,
    /** Adds the files that can be sent; the first problem found is shown. */
    add(files: FileList | null) {
      setProblem(null);
      if (!files) return;
      const next = [...photos];
      for (const file of Array.from(files)) {
        const fileProblem = checkPhoto(file);
        if (fileProblem) {
          setProblem(fileProblem);
          continue;
        }
        if (next.length >= PHOTO_MAX_COUNT) {
          setProblem({ key: 'sell.err.photoCount', params: { max: PHOTO_MAX_COUNT } });
          break;
        }
        next.push({ file, url: URL.createObjectURL(file) });
      }
      setPhotos(next);
    },
    remove(photo: Photo) {
      URL.revokeObjectURL(photo.url);
      setPhotos(photos.filter((p) => p !== photo));
    },
    /** Starts again with no photos (after a listing was created). */
    clear() {
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      setPhotos([]);
      setProblem(null);
    },
  };
}

export type PhotoPicker = ReturnType<typeof usePhotos>;
