package api

// loanRoutes registers the lending desk's operations.
func (s *Server) loanRoutes() {}
