package api

// caseRoutes registers this area's operations.
func (s *Server) caseRoutes() {}
