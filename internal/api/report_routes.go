package api

// reportRoutes registers the report operations.
func (s *Server) reportRoutes() {}
