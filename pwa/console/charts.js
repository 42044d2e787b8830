// The console's charts screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the charts screen.
export async function screen() {
  return section('screen-charts', t('con.nav.charts'));
}
