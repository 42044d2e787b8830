// The console's cash screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the cash screen.
export async function screen() {
  return section('screen-cash', t('con.nav.cash'));
}
