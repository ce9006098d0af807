/**
 * A gateway's chip: its colour and name. On a row it says where the row comes
 * from; in the toolbar it is a button that filters to that gateway.
 */
export interface ChipGateway {
  readonly id: string;
  readonly name: string;
  readonly colour: string;
}

export function GatewayChip({ gateway, dim = false }: { readonly gateway: ChipGateway; readonly dim?: boolean }) {
  return (
    <span className={`gateway-chip${dim ? ' dim' : ''}`} data-gateway={gateway.id} title={gateway.name}>
      <span className="gateway-dot" style={{ backgroundColor: gateway.colour }} aria-hidden="true" />
      {gateway.name}
    </span>
  );
}
