// One kit per trigger; each file is self-contained.
export * from './post-login.js';
export * from './pre-user-registration.js';
export * from './post-user-registration.js';
export * from './post-change-password.js';
export * from './send-phone-message.js';
export * from './credentials-exchange.js';
export { testUser, testRequest, testConnection, testClient, TEST_TENANT } from './defaults.js';
