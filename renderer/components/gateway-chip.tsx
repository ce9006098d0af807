/**
 * A gateway's chip: its colour and name. On a row it says where the row comes
 * from; in the toolbar it is a button that filters to that gateway.
 */
export interface ChipGateway {
  readonly id: string;
  readonly name: string;
  readonly nameShowsAddress: boolean;
  readonly colour: string;
}

export function GatewayChip({ gateway, dim = false }: { readonly gateway: ChipGateway; readonly dim?: boolean }) {
  return (
    // A name with an address in it gets no tooltip: the blur can't cover one.
    <span className={`gateway-chip${dim ? ' dim' : ''}`} data-gateway={gateway.id} title={gateway.nameShowsAddress ? undefined : gateway.name}>
      <span className="gateway-dot" style={{ backgroundColor: gateway.colour }} aria-hidden="true" />
      {gateway.nameShowsAddress ? <span className="sensitive">{gateway.name}</span> : gateway.name}
    </span>
  );
}
