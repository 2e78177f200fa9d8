// Chart.js as the statistics page uses it, built into a bundle of its own (dist/charts.js) that
// the page imports when the statistics are first shown: it is most of the console's bytes, and
// every other page, the first one included, loads and parses without it.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

export { Chart };
