// TapPay Fields: TPDirect is loaded from TapPay's own script URL; card data stays in its iframes.
export const TAPPAY_SDK_URL = 'https://js.tappaysdk.com/sdk/tpdirect/v5.19.2';

interface TPDirectCard {
  setup(config: unknown): void;
  onUpdate(cb: (update: { canGetPrime: boolean; hasError: boolean }) => void): void;
  getPrime(cb: (result: { status: number; msg: string; card: { prime: string } }) => void): void;
}

export interface TPDirectApi {
  setupSDK(appId: number, appKey: string, env: 'sandbox' | 'production'): void;
  card: TPDirectCard;
}

declare global {
  interface Window {
    TPDirect?: TPDirectApi;
  }
}

let loading: Promise<TPDirectApi> | null = null;

export function loadTapPay(): Promise<TPDirectApi> {
  if (window.TPDirect) return Promise.resolve(window.TPDirect);
  loading ??= new Promise<TPDirectApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TAPPAY_SDK_URL;
    script.async = true;
    script.onload = () =>
      window.TPDirect ? resolve(window.TPDirect) : reject(new Error('TPDirect missing'));
    script.onerror = () => {
      loading = null;
      reject(new Error('TapPay SDK failed to load'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export function getPrime(tp: TPDirectApi): Promise<string> {
  return new Promise((resolve, reject) => {
    tp.card.getPrime((result) => {
      if (result.status === 0) resolve(result.card.prime);
      else reject(new Error(result.msg));
    });
  });
}
