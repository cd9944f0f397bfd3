// The home page below the fold: recommendations, trending and the market. A chunk of its own,
// loaded when the reader scrolls near it, so the first view's JavaScript stays within budget.
import { MarketSection } from './market-section.tsx';
import { Recommendations } from './recommendations.tsx';
import { Trending } from './trending.tsx';

export default function BelowTheFoldSections() {
  return (
    <>
      <Recommendations />
      <Trending />
      <MarketSection />
    </>
  );
}
