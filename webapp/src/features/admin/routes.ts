import type { RouteRecordRaw } from 'vue-router'

// The system console's pages, at Mattermost's /admin_console address. They
// are one chunk, loaded when the console is first opened, so the console
// costs the chat nothing.
const pages = () => import('./components/pages')

export const adminRoutes: RouteRecordRaw = {
  path: '/admin_console',
  component: () => pages().then((p) => p.AdminConsole),
  children: [
    { path: '', redirect: { name: 'admin-status' } },
    { path: 'status', name: 'admin-status', component: () => pages().then((p) => p.ServerStatus) },
    { path: 'users', name: 'admin-users', component: () => pages().then((p) => p.UsersPanel) },
    { path: 'teams', name: 'admin-teams', component: () => pages().then((p) => p.TeamsPanel) },
    { path: 'channels', name: 'admin-channels', component: () => pages().then((p) => p.ChannelsPanel) },
    { path: 'agents', name: 'admin-agents', component: () => pages().then((p) => p.AgentsPanel) },
    { path: 'jobs', name: 'admin-jobs', component: () => pages().then((p) => p.JobsPanel) },
    { path: 'config', name: 'admin-config', component: () => pages().then((p) => p.ConfigPanel) },
  ],
}
