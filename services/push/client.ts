/**
 * How other contexts use offline push: write push jobs with a message's own append
 * (c2cPushFeeds, groupPushFeeds), joined to their other side feeds with joinFeeds.
 */
export { c2cPushFeeds, groupPushFeeds } from './sources';
export { joinFeeds } from './feeds';
