package api

// outreachRoutes registers this area's operations.
func (s *Server) outreachRoutes() {}
