/** The WebSocket close codes of `/ingest` and `/alerts`: see close-codes.js. */
export declare const CloseCode: {
  readonly goingAway: 1001;
  readonly frameTooLarge: 1009;
  readonly auditUnavailable: 1011;
  readonly tooSlow: 4008;
  readonly badSubscription: 4400;
  readonly unauthenticated: 4401;
  readonly forbidden: 4403;
};
