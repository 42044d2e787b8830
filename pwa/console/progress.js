// The console's progress screen: not built yet.
import { section } from './kit.js';
import { t } from '../i18n.js';

// screen draws the progress screen.
export async function screen() {
  return section('screen-progress', t('con.nav.progress'));
}
