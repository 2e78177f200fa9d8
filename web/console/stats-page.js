// The statistics page: the daily figures of the last 30 days (getappinfo's, from the event
// log's projection) and the live figures of the last hour, refreshed every few seconds while
// the page is shown. Charts by Chart.js, loaded the first time the page is shown (charts.js).

import * as api from './api.js';

let charts = null;
const chartLibrary = () => (charts ??= import('./charts.js'));

const LIVE_MS = 5000;
const $ = (id) => document.getElementById(id);
let daily = null;
let live = null;
let timer = null;

const dayLabel = (d) => `${d.slice(4, 6)}-${d.slice(6, 8)}`;
const minuteLabel = (ms) => new Date(ms).toTimeString().slice(0, 5);
// Chart.js must not animate on a page that is redrawn every few seconds (and tests screenshot it).
const OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };

async function chart(existing, canvas, type, labels, datasets) {
  if (existing) {
    existing.data.labels = labels;
    existing.data.datasets.forEach((ds, i) => (ds.data = datasets[i].data));
    existing.update();
    return existing;
  }
  const { Chart } = await chartLibrary();
  return new Chart(canvas, { type, data: { labels, datasets }, options: OPTIONS });
}

async function refreshDaily() {
  const days = await api.readDaily(30);
  const n = (key) => days.map((d) => Number(d.figures[key]));
  daily = await chart(daily, $('daily-chart'), 'bar', days.map((d) => dayLabel(d.date)), [
    { label: 'One-to-one messages', data: n('C2CUpMsgNum'), backgroundColor: '#2f6fdf' },
    { label: 'Group messages', data: n('GroupUpMsgNum'), backgroundColor: '#35a371' },
    { label: 'Logins', data: n('LoginTimes'), backgroundColor: '#d08a1e' },
  ]);
  const today = days[days.length - 1].figures;
  $('today').textContent = `Today: ${today.UpMsgNum} messages from ${today.SendMsgUserNum} senders, ${today.LoginTimes} logins by ${today.LoginUserNum} users, ${today.ActiveUserNum} active, ${today.RegistUserNumTotal} accounts, ${today.GroupAllGroupNum} groups, peak online ${today.MaxOnlineNum}.`;
}

async function refreshLive() {
  const figures = await api.readLive();
  $('online-now').textContent = String(figures.online);
  live = await chart(live, $('live-chart'), 'line', figures.minutes.map((m) => minuteLabel(m.at)), [
    { label: 'Messages per minute', data: figures.minutes.map((m) => m.messages), borderColor: '#2f6fdf', pointRadius: 0 },
    { label: 'Logins per minute', data: figures.minutes.map((m) => m.logins), borderColor: '#d08a1e', pointRadius: 0 },
  ]);
  $('live-status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

/** Shows the page: draws both charts, then keeps the live one fresh until hide(). */
export async function show(onError) {
  hide();
  const tick = () => refreshLive().catch(onError);
  try {
    await Promise.all([refreshDaily(), refreshLive()]);
  } catch (err) {
    return onError(err);
  }
  timer = setInterval(tick, LIVE_MS);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}
