// The briefing draws its charts as SVG (sharp when printed or saved as PDF); only its chunk loads this.
import { SVGRenderer } from 'echarts/renderers';
import { init, use } from './echarts';

use([SVGRenderer]);

export { init };
