import { render, screen } from '@testing-library/react';
import { LogoFull } from './LogoFull';
import { LogoIcon } from './LogoIcon';

describe('the sidebar logo', () => {
  it('says Maestro Conductor, not Backstage', () => {
    const { container } = render(<LogoFull />);
    expect(
      screen.getByRole('img', { name: 'Maestro Conductor' }),
    ).toBeInTheDocument();
    expect(container).toHaveTextContent('MaestroConductor');
    render(<LogoIcon />);
    expect(
      screen.getAllByRole('img', { name: 'Maestro Conductor' }),
    ).toHaveLength(2);
  });
});
