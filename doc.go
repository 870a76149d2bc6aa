// Package traject is the domain of Traject: the types of the civic-integration
// programme, their states and transitions, validation, pure rules and error
// codes. It imports only the standard library, so every rule here is tested
// without a database or a network.
package traject
