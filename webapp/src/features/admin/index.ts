// The system console. Only what the rest of the app needs is exported here,
// so that the console itself stays in its own, lazily loaded chunk.
export { isSystemAdmin } from './services/roles'
export { adminRoutes } from './routes'
