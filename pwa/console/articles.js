// The console's articles screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the articles screen.
export async function screen() {
  return section('screen-articles', t('con.nav.articles'));
}
