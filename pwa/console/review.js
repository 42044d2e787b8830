// The console's review screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the review screen.
export async function screen() {
  return section('screen-review', t('con.nav.review'));
}
