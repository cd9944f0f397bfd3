import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n/index.ts';
import './styles.css';
import { App } from './app/app.tsx';

// The first render is a transition: React renders it in slices of a few milliseconds and lets the
// browser paint and handle input in between, instead of one long task on a slow phone.
void i18nReady.then(() => {
  const root = createRoot(document.getElementById('root')!);
  startTransition(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
});
