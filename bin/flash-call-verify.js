#!/usr/bin/env node
// Configured by the environment exactly as `npm start` is: PORT, RESTCOMM_*, FCV_*, REDIS_URL.
import '../dist/server/main.js';
