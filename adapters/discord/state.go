package discord

// Connected reports whether the gateway connection is open and
// heartbeating, for readiness probes and metrics: false before Run has
// connected, while Run reconnects, and after Run has closed it.
func (g *Gateway) Connected() bool {
	g.s.RLock()
	defer g.s.RUnlock()
	return g.s.DataReady
}
