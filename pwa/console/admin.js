// The console's admin screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the admin screen.
export async function screen() {
  return section('screen-admin', t('con.nav.admin'));
}
