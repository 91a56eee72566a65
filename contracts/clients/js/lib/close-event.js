'use strict';
// The official WebSocketClient builds a CloseEvent when it drops a socket
// itself (ping timeout, seq mismatch). Browsers have that global; Node 20 does
// not, so requiring this module defines it once.

if (typeof globalThis.CloseEvent === 'undefined') {
    globalThis.CloseEvent = class CloseEvent extends Event {
        constructor(type, init = {}) {
            super(type);
            this.code = init.code ?? 0;
            this.reason = init.reason ?? '';
            this.wasClean = Boolean(init.wasClean);
        }
    };
}
