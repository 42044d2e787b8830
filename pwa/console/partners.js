// Partners: bulk customers' keys, usage, webhooks, wallet and remittances.
// A placeholder until the partner pages are drawn.
import { t } from '../i18n.js';
import { section } from './kit.js';

/** screen draws the partners screen. */
export async function screen() {
  return section('screen-partners', t('con.nav.partners'));
}
