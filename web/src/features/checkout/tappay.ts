// TapPay Fields: TPDirect is loaded from TapPay's own script URL; card data stays in its iframes.
// The script tag carries the Subresource Integrity hash TapPay publishes with each SDK version, so
// a changed file on TapPay's CDN (or in between) is refused by the browser instead of run next to
// the card fields. Version and hash change together (docs/SECURITY.md, "TapPay SDK").
export const TAPPAY_SDK = {
  version: 'v5.20.0',
  url: 'https://js.tappaysdk.com/sdk/tpdirect/v5.20.0',
  integrity: 'sha256-7kLpXU5hSNGwwdwa0lCLxNzy4s8XMvZoaB1Y8kp33FY=',
} as const;
export const TAPPAY_SDK_URL = TAPPAY_SDK.url;

/** The attributes of the SDK's script tag: SRI hash, and CORS so the browser can check it. */
export function tapPayScriptAttributes() {
  return {
    src: TAPPAY_SDK.url,
    integrity: TAPPAY_SDK.integrity,
    crossOrigin: 'anonymous',
    async: true,
  } as const;
}

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
    const attrs = tapPayScriptAttributes();
    script.src = attrs.src;
    script.integrity = attrs.integrity;
    script.crossOrigin = attrs.crossOrigin;
    script.async = attrs.async;
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
