/** Shared by playwright.config.ts (which starts the server with these) and the tests (which sign in with them). */
export const E2E_ADMIN = { email: 'admin@example.com', password: 'e2e-admin-password' } as const;
