/** The tokens service's door for other services. */
export { fileTokenOpens } from './file-tokens.js';
export { tokensRoutes } from './routes.js';
