// The console's slots screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the slots screen.
export async function screen() {
  return section('screen-slots', t('con.nav.slots'));
}
